# Fails if the protocol core library references io_uring or libnl: src/qmi must build on the
# base layer alone. Run as: cmake -DNM=<nm> -DLIB=<libqmiusb_qmi.a> -P check_symbols.cmake
execute_process(COMMAND ${NM} -A ${LIB} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm ${LIB} failed (${rc})")
endif()
# The scan must see the library's own references, or an empty listing would pass.
if(NOT syms MATCHES " U qb_timer_start\n")
  message(FATAL_ERROR "nm output lacks qb_timer_start: not the library expected")
endif()
string(REGEX MATCHALL "[^\n]* [Uu] (io_uring_|__io_uring|nl_|rtnl_)[^\n]*" bad "${syms}")
if(bad)
  list(JOIN bad "\n" bad)
  message(FATAL_ERROR "qmiusb_qmi references the network layer's libraries:\n${bad}")
endif()
