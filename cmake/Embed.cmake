# liufang_embed(<output.cpp> <function name> <files...>)
# Generates a C++ source whose function returns {relative name -> contents} for the given
# files, so the binary carries its migrations, calendars and templates and runs from anywhere.
function(liufang_embed output func base)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DFUNC=${func} -DBASE=${base}
            "-DFILES=${files}" -P ${LIUFANG_EMBED_SCRIPT}
    DEPENDS ${files} ${LIUFANG_EMBED_SCRIPT}
    COMMENT "Embedding ${func}"
    VERBATIM)
endfunction()
