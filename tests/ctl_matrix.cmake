# Runs `procsim ctl-matrix` and compares what it prints with docs/ctl-matrix.md byte for byte;
# on a difference prints a unified diff (the page, then the command's output) and fails.
# Invoked by CTest with -DPROCSIM, -DSOURCE_ROOT and -DOUTPUT_DIR.
set(expected ${SOURCE_ROOT}/docs/ctl-matrix.md)
set(actual ${OUTPUT_DIR}/ctl-matrix.md)
execute_process(COMMAND ${PROCSIM} ctl-matrix OUTPUT_FILE ${actual} ERROR_VARIABLE stderr RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "procsim ctl-matrix exited with status ${status}\n${stderr}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${expected} ${actual} RESULT_VARIABLE differs)
if(NOT differs)
  return()
endif()
# The diff goes straight to standard output: message() would rewrap its lines.
find_program(DIFF diff)
if(DIFF)
  execute_process(COMMAND ${DIFF} -u ${expected} ${actual})
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -E cat ${actual})
endif()
message(FATAL_ERROR "docs/ctl-matrix.md differs from what `procsim ctl-matrix` prints (above); review the "
                    "difference and regenerate the page with `procsim ctl-matrix > docs/ctl-matrix.md`")
