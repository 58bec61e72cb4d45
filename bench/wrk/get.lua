-- GET /api/v1/events/{id} over the bench user's events.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
function request()
  return wrk.format("GET", "/api/v1/events/" .. next_id(), headers)
end
