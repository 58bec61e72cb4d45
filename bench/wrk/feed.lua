-- GET BENCH_FEED_PATH: a calendar feed, as a calendar application asks for it (no token, no
-- If-None-Match: every response carries the whole feed).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local path = os.getenv("BENCH_FEED_PATH")
local plain = {}
function request()
  return wrk.format("GET", path, plain)
end
