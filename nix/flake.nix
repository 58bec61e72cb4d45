# A Nix flake for the Marketing Events API.
#   nix develop ./nix          a shell with everything the README's two commands need
#   nix build ./nix            the events-api binary (result/bin/events-api)
# Run from the repository root; Nix reads the whole Git repository and evaluates this
# subdirectory, so the package's source is the repository itself.
{
  description = "Marketing Events API: a C++20 REST service for planning marketing events";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forEachSystem = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forEachSystem (pkgs: rec {
        events-api = pkgs.callPackage ./package.nix { src = ../.; };
        default = events-api;
      });

      devShells = forEachSystem (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.system}.events-api ];
          packages = import ./dev-tools.nix pkgs;
          # scripts/private-postgres looks for the server binaries here on Debian.
          shellHook = ''
            export MARKETING_EVENTS_POSTGRES_BIN=${pkgs.postgresql_15}/bin
          '';
        };
      });

      formatter = forEachSystem (pkgs: pkgs.nixpkgs-fmt);
    };
}
