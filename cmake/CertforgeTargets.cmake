# Shared settings for certforge's own targets: warnings are errors in our code only.
# -Wno-restrict: GCC 12 reports false overlaps in std::string concatenation at -O2/-O3
# (GCC bug 105329).
function(certforge_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                                           -Wno-missing-field-initializers -Wno-restrict)
endfunction()

# certforge_library(<name> SOURCES ... DEPS ...): a static library under lib/ or a service.
function(certforge_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  certforge_defaults(${name})
endfunction()

# certforge_executable(<name> SOURCES ... DEPS ...): a binary, output in bin/.
function(certforge_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
  certforge_defaults(${name})
endfunction()

# certforge_service(<name> SOURCES ... DEPS ...): a certforge_executable that runs as one of
# the services, on tcmalloc (see Dependencies.cmake).
function(certforge_service name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  certforge_executable(${name} SOURCES ${ARG_SOURCES} DEPS ${ARG_DEPS} PkgConfig::TCMALLOC)
endfunction()

# certforge_test(<name> LABEL unit|integration|e2e SOURCES ... DEPS ...): a gtest binary.
function(certforge_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  certforge_defaults(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # NO_PRETTY_VALUES: parameterized tests keep their index in the name; a printed parameter may
  # hold pointers and change from build to build.
  gtest_discover_tests(${name}
    NO_PRETTY_VALUES
    PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
               # One variable per property: a list would lose its ";" on the way to ctest.
               ENVIRONMENT "CERTFORGE_BIN_DIR=${PROJECT_BINARY_DIR}/bin"
               ENVIRONMENT_MODIFICATION "CERTFORGE_SOURCE_DIR=set:${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
