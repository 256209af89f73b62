# Runs `procsim asm --arch ARCH SOURCE` and compares what it prints with EXPECTED: standard
# output when it succeeds, standard error (and exit status 2) when it does not assemble.
# Invoked with -DPROCSIM, -DARCH, -DSOURCE, -DEXPECTED and -DSTATUS (the exit status expected).
execute_process(COMMAND ${PROCSIM} asm --arch ${ARCH} ${SOURCE}
                OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE status)
file(READ ${EXPECTED} expected)
if(NOT status EQUAL STATUS)
  message(FATAL_ERROR "${SOURCE}: expected exit status ${STATUS}, got ${status}\n${stderr}")
endif()
if(STATUS EQUAL 0)
  set(actual "${stdout}")
else()
  set(actual "${stderr}")
endif()
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "${SOURCE}: the listing differs from ${EXPECTED}\n--- expected\n${expected}--- actual\n${actual}")
endif()
