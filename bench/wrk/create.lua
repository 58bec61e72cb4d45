-- POST /api/v1/events.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local body = '{"title":"Benchmark launch","description":"Created by wrk",' ..
             '"starts_at":"2027-03-01T09:00:00Z","ends_at":"2027-03-01T18:00:00Z","status":"draft"}'
function request()
  return wrk.format("POST", "/api/v1/events", headers, body)
end
