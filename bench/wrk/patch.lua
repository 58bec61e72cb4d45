-- PATCH /api/v1/events/{id} (a merge patch of the description) over the bench user's events.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local body = '{"description":"Patched by wrk"}'
function request()
  return wrk.format("PATCH", "/api/v1/events/" .. next_id(), headers, body)
end
