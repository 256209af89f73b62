# Helpers that give every procsim target the same language level, warnings and sanitizer flags.

function(procsim_apply_flags target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    -Wold-style-cast -Wimplicit-fallthrough -Wnull-dereference)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports -Wrestrict inside std::string's own code at -O2 (a false positive of the
    # compiler, GCC bug 105329); it says nothing about procsim's code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(PROCSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(PROCSIM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                           -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# procsim_library(NAME SOURCES... DEPENDS libs...)
# One static library per folder; the include root is the repository root, so every
# include names its layer: #include "sim/base/assert.h".
function(procsim_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
  procsim_apply_flags(${name})
endfunction()

# procsim_unit_test(NAME SOURCES... DEPENDS libs...): one doctest binary, registered with CTest.
function(procsim_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${PROJECT_SOURCE_DIR}/tests/unit/doctest_main.cpp ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${DOCTEST_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS})
  procsim_apply_flags(${name})
  add_test(NAME unit/${name} COMMAND ${name})
endfunction()
