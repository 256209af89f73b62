# Runs one malformed scenario and checks that procsim exits with status 2 and prints exactly the
# diagnostic given in the scenario's `# error: ` line. Invoked with -DPROCSIM and -DSCENARIO.
file(STRINGS ${SCENARIO} header REGEX "^# error: ")
if(NOT header)
  message(FATAL_ERROR "${SCENARIO}: no '# error: ' line saying which diagnostic to expect")
endif()
list(GET header 0 expected)
string(REGEX REPLACE "^# error: " "" expected "${expected}")
execute_process(COMMAND ${PROCSIM} run ${SCENARIO}
                OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE status)
if(NOT status EQUAL 2)
  message(FATAL_ERROR "${SCENARIO}: expected exit status 2, got ${status}\nstdout: ${stdout}\nstderr: ${stderr}")
endif()
string(STRIP "${stderr}" stderr)
if(NOT stderr STREQUAL expected)
  message(FATAL_ERROR "${SCENARIO}: expected diagnostic\n  ${expected}\ngot\n  ${stderr}")
endif()
