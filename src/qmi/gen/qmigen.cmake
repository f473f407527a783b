# qmi_generate(OUTDIR VAR): runs the message generator over src/qmi/data/*.json into
# OUTDIR/qmi/ and sets VAR to the generated C source. OUTDIR must be on the include path of
# everything that includes "qmi/messages.h".
find_package(Python3 REQUIRED COMPONENTS Interpreter)
get_filename_component(QMI_GEN_DIR ${CMAKE_CURRENT_LIST_DIR} ABSOLUTE)
function(qmi_generate outdir var)
  set(data_dir ${QMI_GEN_DIR}/../data)
  # Service order is the database's order: ctl first, the rest as the tables always were.
  set(data ${data_dir}/ctl.json ${data_dir}/dms.json ${data_dir}/nas.json ${data_dir}/wds.json
    ${data_dir}/wda.json ${data_dir}/uim.json)
  set(out ${outdir}/qmi/messages.h ${outdir}/qmi/msgdb_enums.h ${outdir}/qmi/msgdb_data.c)
  add_custom_command(OUTPUT ${out}
    COMMAND Python3::Interpreter ${QMI_GEN_DIR}/qmigen.py ${outdir} ${data}
    DEPENDS ${QMI_GEN_DIR}/qmigen.py ${data}
    COMMENT "Generating the QMI message database from src/qmi/data"
    VERBATIM)
  set(${var} ${outdir}/qmi/msgdb_data.c PARENT_SCOPE)
endfunction()
