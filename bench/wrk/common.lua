-- Shared by the scenario scripts: the bearer token, the event ids, per-thread status counts,
-- and a JSON summary line that bench/run reads.
local token = os.getenv("BENCH_TOKEN") or ""
headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}

ids = {}
local ids_file = os.getenv("BENCH_IDS")
if ids_file then
  for line in io.lines(ids_file) do ids[#ids + 1] = line end
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  counter = id * 7919  -- each thread walks the ids from a different place
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function next_id()
  counter = counter + 1
  return ids[(counter % #ids) + 1]
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do parts[#parts + 1] = string.format('"%d":%d', status, count) end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ",")))
end
