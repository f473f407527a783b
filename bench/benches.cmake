# Benchmarks print figures and ratios; nothing here asserts on time. Build them without
# sanitizers for meaningful numbers: cmake -B build-rel -DQMIUSB_SANITIZE=OFF.
add_executable(bench_pump ${CMAKE_CURRENT_SOURCE_DIR}/bench_pump.c)
target_include_directories(bench_pump PRIVATE ${PROJECT_SOURCE_DIR}/tests/net)
target_link_libraries(bench_pump PRIVATE qmiusb_net)
add_custom_target(bench-host
  COMMAND bench_pump -o ${CMAKE_CURRENT_SOURCE_DIR}/results/host-pump.txt
  DEPENDS bench_pump
  USES_TERMINAL
  COMMENT "Host pump benchmark (needs root for a TUN in a private network namespace)")
