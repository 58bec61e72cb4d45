-- GET /api/v1/events?status=published&limit=20&page=BENCH_PAGE (default 1).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local path = "/api/v1/events?status=published&limit=20&page=" .. (os.getenv("BENCH_PAGE") or "1")
function request()
  return wrk.format("GET", path, headers)
end
