# The build options (FSNC_CONFIG_*, harness/repro/amalgam.h): everything
# built here (fsnc, the unit tests, every fuzzer) has every one; `fsnc
# repro` writes into a file only the ones its case can use.  Included by
# CMakeLists.txt and fuzz/CMakeLists.txt, which configure on their own.
add_compile_definitions(FSNC_CONFIG_URING FSNC_CONFIG_FAILNTH FSNC_CONFIG_MODEL
                        FSNC_CONFIG_FSNOTIFY)
