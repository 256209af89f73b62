# Golden transcripts: every scenarios/**/*.scn is its own CTest test, replayed by `procsim run`.
# Malformed scenarios live in tests/errors/: each must fail with exit status 2 and print exactly
# the diagnostic written in its `# error: ` header line. The determinism test replays the whole
# corpus twice in one build and compares the bytes.
if(NOT TARGET procsim)
  return()
endif()

file(GLOB_RECURSE PROCSIM_SCENARIOS CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/scenarios/*.scn)
list(SORT PROCSIM_SCENARIOS)
foreach(scenario ${PROCSIM_SCENARIOS})
  add_test(NAME ${scenario} COMMAND procsim run ${scenario} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()

add_test(NAME determinism
         COMMAND ${CMAKE_COMMAND} -DPROCSIM=$<TARGET_FILE:procsim> -DSOURCE_ROOT=${PROJECT_SOURCE_DIR}
                 -DOUTPUT_DIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/determinism.cmake)

file(GLOB PROCSIM_ERROR_SCENARIOS CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/tests/errors/*.scn)
list(SORT PROCSIM_ERROR_SCENARIOS)
foreach(scenario ${PROCSIM_ERROR_SCENARIOS})
  add_test(NAME ${scenario}
           COMMAND ${CMAKE_COMMAND} -DPROCSIM=$<TARGET_FILE:procsim> -DSCENARIO=${scenario}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_error.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()

# `procsim asm`: one program per architecture with its expected listing, and a source that does
# not assemble with its expected diagnostic.
foreach(arch amd64 i386 arm64 riscv64)
  add_test(NAME asm/${arch}
           COMMAND ${CMAKE_COMMAND} -DPROCSIM=$<TARGET_FILE:procsim> -DARCH=${arch}
                   -DSOURCE=tests/asm/${arch}.s -DEXPECTED=tests/asm/${arch}.expected -DSTATUS=0
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_listing.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endforeach()
add_test(NAME asm/bad
         COMMAND ${CMAKE_COMMAND} -DPROCSIM=$<TARGET_FILE:procsim> -DARCH=amd64 -DSOURCE=tests/asm/bad.s
                 -DEXPECTED=tests/asm/bad.expected -DSTATUS=2 -P ${CMAKE_CURRENT_SOURCE_DIR}/expect_listing.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})

# `procsim ctl-matrix`: the generated page docs/ctl-matrix.md must be exactly what it prints.
add_test(NAME ctl-matrix
         COMMAND ${CMAKE_COMMAND} -DPROCSIM=$<TARGET_FILE:procsim> -DSOURCE_ROOT=${PROJECT_SOURCE_DIR}
                 -DOUTPUT_DIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/ctl_matrix.cmake)
