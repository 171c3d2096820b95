# embed-text.cmake: turn a text file into a C string, one source line per
# literal line, so fsnc carries the reproducer runtime without reading
# files at run time.  Usage:
#   cmake -DIN=file.in -DOUT=file.c -DSYMBOL=name -P embed-text.cmake
set(out "/* generated from ${IN} by cmake/embed-text.cmake; do not edit */\n")
string(APPEND out "const char ${SYMBOL}[] =\n")
file(READ ${IN} text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REPLACE "\n" "\\n\"\n\t\"" text "${text}")
string(APPEND out "\t\"${text}\";\n")
file(WRITE ${OUT}.tmp "${out}")
file(RENAME ${OUT}.tmp ${OUT})
