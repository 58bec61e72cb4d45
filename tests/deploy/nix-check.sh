#!/usr/bin/env bash
# What can be checked of nix/ without Nix's binary caches or GitHub (no network here): every
# file parses, and the flake's outputs evaluate, with a stand-in for Nixpkgs that supplies
# every argument package.nix asks for and every tool dev-tools.nix names. Building the
# package and entering the shell need Nixpkgs itself and are not checked here.
set -euo pipefail
trap 'echo "${BASH_SOURCE[0]}: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/../.."
export NIX_CONFIG="build-users-group ="  # Debian's nix-bin expects a nixbld group; none needed to evaluate

for file in nix/*.nix; do
  nix-instantiate --parse "$file" >/dev/null
done

result=$(nix-instantiate --eval --strict --json -E '
let
  flake = import ./nix/flake.nix;
  tools = [ "catch2" "postgresql_15" "clang-tools" "clang" "curl" "python3" "gdb" "valgrind" "nixpkgs-fmt" ];
  lib = {
    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
    platforms.linux = [ "x86_64-linux" "aarch64-linux" ];
  };
  pkgsFor = system: builtins.listToAttrs (map (name: { inherit name; value = "<" + name + ">"; }) tools) // {
    inherit system lib;
    stdenv.mkDerivation = attrs: attrs // { type = "derivation-stand-in"; };
    mkShell = attrs: attrs // { shell = true; };
    callPackage = path: overrides:
      let function = import path;
          stand-ins = builtins.mapAttrs (name: _: "<" + name + ">") (builtins.functionArgs function);
      in function (stand-ins // { inherit lib; stdenv = (pkgsFor system).stdenv; } // overrides);
  };
  nixpkgs = { inherit lib; legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] pkgsFor; };
  outputs = flake.outputs { self = outputs; inherit nixpkgs; };
  package = outputs.packages.x86_64-linux.default;
  shell = outputs.devShells.x86_64-linux.default;
in {
  pname = package.pname;
  buildInputs = package.buildInputs;
  nativeBuildInputs = package.nativeBuildInputs;
  cmakeFlags = package.cmakeFlags;
  mainProgram = package.meta.mainProgram;
  shellTools = shell.packages;
  shellFrom = map (p: p.pname) shell.inputsFrom;
  inputs = flake.inputs.nixpkgs.url;
}')
echo "nix-check: $result"
for expected in '"pname":"events-api"' '"<boost>"' '"<openssl>"' '"<postgresql>"' '"<libsodium>"' \
  '"<spdlog>"' '"<prometheus-cpp>"' '"<cmake>"' '"<ninja>"' '"<catch2>"' '"<postgresql_15>"' \
  '"<clang-tools>"' '"shellFrom":["events-api"]' 'MARKETING_EVENTS_BUILD_TESTS=OFF'; do
  grep -qF "$expected" <<<"$result" || { echo "nix-check: missing $expected" >&2; exit 1; }
done
echo "nix-check: passed (parsed and evaluated against a stand-in Nixpkgs; not built)"
