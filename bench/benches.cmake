# Benchmarks print figures and ratios; nothing here asserts on time. Build them without
# sanitizers for meaningful numbers: cmake -B build-rel -DQMIUSB_SANITIZE=OFF.
add_executable(bench_pump ${CMAKE_CURRENT_SOURCE_DIR}/bench_pump.c)
target_include_directories(bench_pump PRIVATE ${PROJECT_SOURCE_DIR}/tests/net)
target_link_libraries(bench_pump PRIVATE qmiusb_net)
add_executable(bench_offload ${CMAKE_CURRENT_SOURCE_DIR}/bench_offload.c)
target_include_directories(bench_offload PRIVATE ${PROJECT_SOURCE_DIR}/tests/net)
target_link_libraries(bench_offload PRIVATE qmiusb_net)
add_custom_target(bench-host
  COMMAND bench_pump -o ${CMAKE_CURRENT_SOURCE_DIR}/results/host-pump.txt
  COMMAND bench_offload -a ${CMAKE_CURRENT_SOURCE_DIR}/results/host-pump.txt
  DEPENDS bench_pump bench_offload
  USES_TERMINAL
  COMMENT "Host pump benchmark (needs root for a TUN in a private network namespace)")

# The VM benchmark at saturation (kernel qmi_wwan path against qmiusb's TUN over the same gadget,
# in QEMU's deterministic icount mode): bench/vm/vm-family.sh --family sat, results in
# bench/results/vm.txt.
add_executable(udp_load ${CMAKE_CURRENT_SOURCE_DIR}/udp_load.c)
add_executable(udp_rate ${CMAKE_CURRENT_SOURCE_DIR}/udp_rate.c ${CMAKE_CURRENT_SOURCE_DIR}/udp_rate_proc.c)
add_executable(cpu_window ${CMAKE_CURRENT_SOURCE_DIR}/cpu_window.c ${CMAKE_CURRENT_SOURCE_DIR}/udp_rate_proc.c)
add_executable(ctl_rtt ${CMAKE_CURRENT_SOURCE_DIR}/ctl_rtt.c)
target_link_libraries(ctl_rtt PRIVATE qmiusb_usb qmiusb_qmi qmiusb_net)
add_custom_target(bench-vm
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/vm/vm-family.sh --family sat --qmiusb $<TARGET_FILE:qmiusb>
    --tools ${CMAKE_CURRENT_BINARY_DIR} --work ${CMAKE_BINARY_DIR}/vm-bench
    --out ${CMAKE_CURRENT_SOURCE_DIR}/results/vm.txt
  DEPENDS qmiusb udp_load ctl_rtt
  USES_TERMINAL
  COMMENT "VM benchmark: kernel qmi_wwan against qmiusb over the same gadget (QEMU icount)")

# The soak (bench/soak, a script around `qmiusb`): its load generator and client id census.
add_executable(soak_tool ${CMAKE_CURRENT_SOURCE_DIR}/soak_tool.c)
target_link_libraries(soak_tool PRIVATE qmiusb_proxy qmiusb_qmi)

# The VM benchmark families (bench/vm/vm-family.sh --family NAME, one command each; results in
# bench/results/vm-NAME.txt): cost below saturation, kernel QMAP (qmimux) against qmiusb QMAP,
# and bulk TCP through the operator network.
foreach(family rate qmap tcp)
  add_custom_target(bench-vm-${family}
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/vm/vm-family.sh --family ${family}
      --qmiusb $<TARGET_FILE:qmiusb> --tools ${CMAKE_CURRENT_BINARY_DIR}
      --work ${CMAKE_BINARY_DIR}/vm-bench --out ${CMAKE_CURRENT_SOURCE_DIR}/results/vm-${family}.txt
    DEPENDS qmiusb udp_rate cpu_window
    USES_TERMINAL
    COMMENT "VM benchmark family ${family} (QEMU icount)")
endforeach()

# The bulk path's cost per packet (system calls by name, allocations, user-space copies) in the
# VM, over libusb: bench/vm/vm-bulk.sh, appended to bench/results/bulk-path.txt under
# QMIUSB_BULK_TITLE (e.g. "before" and "after" a change).
add_library(qmiusb_alloc_count SHARED ${CMAKE_CURRENT_SOURCE_DIR}/alloc_count.c)
set_target_properties(qmiusb_alloc_count PROPERTIES C_VISIBILITY_PRESET default)
target_compile_options(qmiusb_alloc_count PRIVATE -fno-sanitize=all -fno-builtin)
target_link_libraries(qmiusb_alloc_count PRIVATE dl)
set(QMIUSB_BULK_TITLE "bulk path" CACHE STRING "Title of the bench-bulk run in bulk-path.txt")
add_custom_target(bench-bulk
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/vm/vm-bulk.sh --qmiusb $<TARGET_FILE:qmiusb>
    --tools ${CMAKE_CURRENT_BINARY_DIR} --work ${CMAKE_BINARY_DIR}/vm-bulk
    --out ${CMAKE_CURRENT_SOURCE_DIR}/results/bulk-path.txt --title ${QMIUSB_BULK_TITLE}
  DEPENDS qmiusb udp_load qmiusb_alloc_count
  USES_TERMINAL
  VERBATIM
  COMMENT "Bulk path cost per packet: syscalls, allocations, copies (QEMU icount, strace)")
