# The one warning list (MARKETING_EVENTS_WARNINGS, set by the `warnings` preset that dev, ci,
# release, sanitize, fuzz and bench inherit); CMAKE_COMPILE_WARNING_AS_ERROR makes them errors.
option(MARKETING_EVENTS_WARNINGS "Compile with the project's warning list" OFF)
if(MARKETING_EVENTS_WARNINGS)
  add_compile_options(
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wdouble-promotion -Wformat=2
    -Wimplicit-fallthrough)
endif()
