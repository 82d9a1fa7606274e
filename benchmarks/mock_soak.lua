-- wrk script for benchmarks/mock_soak.py: rotates generated endpoints of fixtures/specs/petstore-3.0.yaml
-- (served with --dynamic), counts 5xx and non-2xx responses exactly, and prints one SOAK line at the end.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  not_ok = 0
  turn = 0
  local json = { ["Content-Type"] = "application/json" }
  rotation = {
    wrk.format("GET", "/v1/pets?limit=5"),
    wrk.format("GET", "/v1/pets/mine", { ["Authorization"] = "Bearer soak" }),
    wrk.format("GET", "/v1/pets/7"),
    wrk.format("GET", "/v1/store/inventory"),
    wrk.format("POST", "/v1/store/orders", json, '{"petId": 3, "quantity": 2, "note": "soak"}'),
    wrk.format("POST", "/v1/pets", { ["Content-Type"] = "application/json", ["X-API-Key"] = "soak" },
               '{"name": "Rex", "status": "available", "tags": ["dog"]}'),
  }
end

function request()
  turn = turn + 1
  return rotation[(turn % #rotation) + 1]
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  end
  if status < 200 or status >= 300 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local fives, bad = 0, 0
  for _, thread in ipairs(threads) do
    fives = fives + thread:get("server_errors")
    bad = bad + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    "SOAK requests=%d seconds=%.1f p50_ms=%.2f p99_ms=%.2f status_5xx=%d non_2xx=%d "
      .. "connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    fives, bad, e.connect, e.read, e.write, e.timeout))
end
