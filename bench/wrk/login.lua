-- POST /api/v1/auth/login with the bench user's credentials (each one an Argon2id hash).
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local body = '{"email":"' .. os.getenv("BENCH_EMAIL") .. '","password":"' .. os.getenv("BENCH_PASSWORD") .. '"}'
local plain = {["Content-Type"] = "application/json"}
function request()
  return wrk.format("POST", "/api/v1/auth/login", plain, body)
end
