-- GET /api/v1/events?BENCH_LIST_QUERY, by default status=published&limit=20&page=BENCH_PAGE
-- (default 1).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local query = os.getenv("BENCH_LIST_QUERY") or
  ("status=published&limit=20&page=" .. (os.getenv("BENCH_PAGE") or "1"))
local path = "/api/v1/events?" .. query
function request()
  return wrk.format("GET", path, headers)
end
