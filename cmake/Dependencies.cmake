# Every dependency comes from Debian 12's packages (scripts/install-deps installs them).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)                 # module: protobuf::libprotobuf, protobuf::protoc
find_package(gRPC CONFIG REQUIRED)              # gRPC::grpc++, gRPC::grpc_cpp_plugin
find_package(absl CONFIG REQUIRED)              # absl::status, absl::statusor
find_package(cppzmq CONFIG REQUIRED)            # cppzmq (libzmq through pkg-config)
find_package(spdlog CONFIG REQUIRED)            # spdlog::spdlog (+ fmt::fmt)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(simdjson CONFIG REQUIRED)          # simdjson::simdjson (lexes JSON for nlohmann)
find_package(OpenSSL 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)          # target: yaml-cpp
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)             # CLI11::CLI11
find_package(PkgConfig REQUIRED)
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The services allocate many small objects (JSON trees, protobuf messages) across threads; glibc's
# malloc was a sixth of the controller's CPU in issuance-bench. See certforge_service().
pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
