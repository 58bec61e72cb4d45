# Script mode (cmake -P): fails if the core (CORE_DIR) includes an I/O or third-party header,
# or reads a clock or a random device itself. The core must reach the world through ports.
cmake_minimum_required(VERSION 3.25)

file(GLOB_RECURSE sources "${CORE_DIR}/*.hpp" "${CORE_DIR}/*.cpp")
if(NOT sources)
  message(FATAL_ERROR "no sources under ${CORE_DIR}")
endif()

set(forbidden_includes
    "#[ \t]*include[ \t]*[<\"](boost|openssl|spdlog|prometheus|sodium|catch2)/"
    "#[ \t]*include[ \t]*[<\"](libpq-fe|pq-fe|sodium)\\.h[>\"]"
    "#[ \t]*include[ \t]*<(iostream|fstream|cstdio|stdio\\.h|filesystem|random|unistd\\.h|fcntl\\.h|netdb\\.h|thread|future)>"
    "#[ \t]*include[ \t]*<(sys|netinet|arpa)/")
set(forbidden_calls "system_clock::now" "steady_clock::now" "random_device" "getenv")

set(problems "")
foreach(source IN LISTS sources)
  file(STRINGS "${source}" lines)
  foreach(line IN LISTS lines)
    foreach(pattern IN LISTS forbidden_includes forbidden_calls)
      if(line MATCHES "${pattern}")
        string(APPEND problems "  ${source}: ${line}\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "the core must not do I/O or use third-party libraries:\n${problems}")
endif()
list(LENGTH sources count)
message(STATUS "${count} core files checked: no I/O, no third-party includes")
