# amalgamate.cmake: concatenate pure harness sources into one C text, with
# the project's own #include lines removed, so a reproducer can carry them
# without project headers (the kdiff reproducer embeds its generator and
# oracle this way; see cases/kdiff_repro.c).  The files are listed in
# dependency order: headers first, then the sources.  Usage:
#   cmake -DOUT=file -DTITLE=text -DFILES=a.h:b.h:a.c:b.c -P amalgamate.cmake
# (':' separates the files: a ';' list does not survive a custom command)
string(REPLACE ":" ";" FILES "${FILES}")
set(out "/* ==== ${TITLE} ====\n")
string(APPEND out " * Amalgamated by fsnc's cmake/amalgamate.cmake from the files named below;\n")
string(APPEND out " * project #include lines are removed, nothing else is changed.\n */\n")
# The sources are written for the GNU C library's full API, like the runtime.
string(APPEND out "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n")
foreach(f ${FILES})
  file(READ ${f} text)
  # Only project headers are quoted includes; their text is already above.
  string(REGEX REPLACE "\n#include \"[^\"\n]*\"[^\n]*" "" text "\n${text}")
  get_filename_component(name ${f} NAME)
  get_filename_component(dir ${f} DIRECTORY)
  get_filename_component(layer ${dir} NAME)
  string(APPEND out "\n/* ---- harness/${layer}/${name} ---- */${text}")
endforeach()
file(WRITE ${OUT}.tmp "${out}")
file(RENAME ${OUT}.tmp ${OUT})
