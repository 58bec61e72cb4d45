-- GET of wrk's URL as given (/healthz, the hello server), counted like the others.
dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
