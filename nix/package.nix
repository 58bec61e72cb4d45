# events-api built with CMake from Nixpkgs' libraries (the same set Debian provides);
# postgresql brings libpq and its headers.
{ lib
, stdenv
, src
, cmake
, ninja
, pkg-config
, boost
, openssl
, postgresql
, libsodium
, spdlog
, prometheus-cpp
}:

stdenv.mkDerivation {
  pname = "events-api";
  version = "0.1.0";
  inherit src;

  nativeBuildInputs = [ cmake ninja pkg-config ];
  buildInputs = [ boost openssl postgresql libsodium spdlog prometheus-cpp ];

  cmakeFlags = [
    "-DCMAKE_BUILD_TYPE=Release"
    "-DMARKETING_EVENTS_BUILD_TESTS=OFF"
  ];

  meta = {
    description = "REST service for planning marketing events";
    mainProgram = "events-api";
    platforms = lib.platforms.linux;
  };
}
