# Run at every build (cmake -P): writes OUTPUT from TEMPLATE with the project VERSION and the
# source revision, touching OUTPUT only when that text changes (so only a new commit relinks).
# The revision is REVISION when given (a build without .git: the container image passes it),
# else `git describe` of SOURCE_DIR, else "unknown".
if(REVISION STREQUAL "")
  execute_process(
    COMMAND git --no-optional-locks -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
    OUTPUT_VARIABLE REVISION
    OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET
    RESULT_VARIABLE git_failed)
  if(git_failed OR REVISION STREQUAL "")
    set(REVISION "unknown")
  endif()
endif()
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
