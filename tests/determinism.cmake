# Replays the whole scenario corpus twice with the same binary and compares the printed
# transcripts byte for byte. Invoked by CTest with -DPROCSIM, -DSOURCE_ROOT and -DOUTPUT_DIR.
file(GLOB_RECURSE corpus RELATIVE ${SOURCE_ROOT} ${SOURCE_ROOT}/scenarios/*.scn)
list(SORT corpus)
if(NOT corpus)
  message(FATAL_ERROR "no scenarios found under ${SOURCE_ROOT}/scenarios")
endif()
foreach(round 1 2)
  execute_process(COMMAND ${PROCSIM} run --print ${corpus}
                  WORKING_DIRECTORY ${SOURCE_ROOT}
                  OUTPUT_FILE ${OUTPUT_DIR}/determinism-${round}.out
                  ERROR_FILE ${OUTPUT_DIR}/determinism-${round}.err
                  RESULT_VARIABLE status-${round})
endforeach()
if(NOT status-1 EQUAL status-2)
  message(FATAL_ERROR "exit status differs between rounds: ${status-1} vs ${status-2}")
endif()
foreach(stream out err)
  file(SHA256 ${OUTPUT_DIR}/determinism-1.${stream} first)
  file(SHA256 ${OUTPUT_DIR}/determinism-2.${stream} second)
  if(NOT first STREQUAL second)
    message(FATAL_ERROR "the corpus printed different bytes on two runs (std${stream}); "
                        "compare ${OUTPUT_DIR}/determinism-1.${stream} and determinism-2.${stream}")
  endif()
endforeach()
file(SIZE ${OUTPUT_DIR}/determinism-1.out size)
list(LENGTH corpus count)
message(STATUS "determinism: ${count} scenarios, ${size} bytes, identical on two runs")
