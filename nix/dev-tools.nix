# What the README's commands use beyond the package's own build inputs: the test framework,
# PostgreSQL's server for the private test clusters, clang's tools, and the deployment checks.
pkgs: with pkgs; [
  catch2 # Catch2 v2, as Debian's catch2 package
  postgresql_15
  clang-tools
  clang
  curl
  python3
  gdb
  valgrind
]
