# Included by CTest when it starts (CMakeLists.txt adds it to the folder's TEST_INCLUDE_FILES,
# with TROUPE_TESTS_BINARY set): defines the CTest entries that run troupe_tests.
#
# One process per test case cost more than many of the cases themselves: each process loads
# about 155 shared libraries (FFmpeg's, ICU's ...), and under the sanitizers it also starts
# ASan and checks for leaks at exit. So one entry runs a batch of test cases:
#  - the test cases of a doctest suite (TEST_CASE("..." * doctest::test_suite("SUITE"))) each
#    get an entry of their own, named after the test case and labelled SUITE: `ctest -L SUITE`
#    and `ctest -LE SUITE` select by it (scripts/sanitize leaves out the suite "release-only",
#    whose tests are also the longest: a COST makes CTest start them first);
#  - the other test cases of a file run in batches of at most kBatchSize, in file order, each
#    entry named FILE#FIRST-LAST (e.g. test_e2e.cpp#1-8; no space, so that CTest keeps its
#    timings in Testing/Temporary/CTestCostData.txt and starts the longest first next time).
# A batch selects its test cases by doctest's filters and its range (--first/--last count the
# test cases that pass the filters, in file and line order), never by name. The test binary
# reports each test case's result (tests/test_main.cpp), and scripts/ctest-all checks that each
# ran exactly once and names each one that failed.
#
# `troupe_tests --list-test-cases --reporters=xml` prints one line per test case, in run order:
#   <TestCase name="NAME" testsuite="SUITE" filename="/abs/tests/test_x.cpp" line="12" .../>
# with testsuite="..." left out when the test case is in no suite, and &amp; &lt; &gt; &quot;
# &apos; standing for & < > " '.
if(NOT EXISTS "${TROUPE_TESTS_BINARY}")
  return()
endif()

set(kBatchSize 8)

execute_process(COMMAND "${TROUPE_TESTS_BINARY}" --list-test-cases --reporters=xml
                OUTPUT_VARIABLE listing RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "tests/ctest_batches.cmake: ${TROUPE_TESTS_BINARY} --list-test-cases "
                      "failed (${status}): ${errors}")
endif()

# CMake splits lists at ';', which ends each entity: every ';' becomes a character the listing
# cannot hold (doctest writes control characters as &#x..;) before it is cut into lines.
string(ASCII 1 semicolon)
string(REPLACE ";" "${semicolon}" listing "${listing}")
function(troupe_xml_unescape text out_var)
  foreach(entity_char IN ITEMS "lt<" "gt>" "quot\"" "apos'" "amp&")
    string(REGEX REPLACE "^([a-z]+)(.)$" "\\1" entity "${entity_char}")
    string(REGEX REPLACE "^([a-z]+)(.)$" "\\2" char "${entity_char}")
    string(REPLACE "&${entity}${semicolon}" "${char}" text "${text}")
  endforeach()
  if(text MATCHES "${semicolon}")
    message(FATAL_ERROR "tests/ctest_batches.cmake: a ';' in a test name (CTest cannot run it): "
                        "${text}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# A doctest filter matches '*' and '?' as wildcards and splits at ',' unless escaped.
function(troupe_doctest_filter text out_var)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "," "\\," text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# Test cases in no suite, counted per file (files in run order, counts in file_counts); test
# cases in a suite, counted per suite.
set(files "")
set(file_counts "")
set(suites "")
set(suite_counts "")
set(properties WORKING_DIRECTORY "${TROUPE_SOURCE_DIR}" SKIP_RETURN_CODE 77)
string(REGEX MATCHALL "<TestCase [^\n]*" cases "${listing}")
foreach(case IN LISTS cases)
  if(NOT case MATCHES "^<TestCase name=\"([^\"]*)\".* filename=\"([^\"]*)\"")
    message(FATAL_ERROR "tests/ctest_batches.cmake: no name or filename in: ${case}")
  endif()
  troupe_xml_unescape("${CMAKE_MATCH_1}" name)
  troupe_xml_unescape("${CMAKE_MATCH_2}" file)
  set(suite "")
  if(case MATCHES " testsuite=\"([^\"]*)\"")
    troupe_xml_unescape("${CMAKE_MATCH_1}" suite)
  endif()
  if(suite STREQUAL "")
    list(FIND files "${file}" at)
    if(at EQUAL -1)
      list(APPEND files "${file}")
      list(APPEND file_counts 1)
    else()
      list(GET file_counts ${at} count)
      math(EXPR count "${count} + 1")
      list(REMOVE_AT file_counts ${at})
      list(INSERT file_counts ${at} ${count})
    endif()
    continue()
  endif()
  list(FIND suites "${suite}" at)
  if(at EQUAL -1)
    list(APPEND suites "${suite}")
    list(APPEND suite_counts 1)
    set(index 1)
  else()
    list(GET suite_counts ${at} index)
    math(EXPR index "${index} + 1")
    list(REMOVE_AT suite_counts ${at})
    list(INSERT suite_counts ${at} ${index})
  endif()
  troupe_doctest_filter("${suite}" suite_filter)
  add_test("${name}" "${TROUPE_TESTS_BINARY}" "--test-suite=${suite_filter}" "--first=${index}"
           "--last=${index}")
  set(cost "")
  if(suite STREQUAL "release-only")
    set(cost COST 1000)
  endif()
  set_tests_properties("${name}" PROPERTIES ${properties} LABELS "${suite}" ${cost})
endforeach()

foreach(file count IN ZIP_LISTS files file_counts)
  get_filename_component(base "${file}" NAME)
  troupe_doctest_filter("${file}" file_filter)
  foreach(first RANGE 1 ${count} ${kBatchSize})
    math(EXPR last "${first} + ${kBatchSize} - 1")
    if(last GREATER count)
      set(last ${count})
    endif()
    # "?*" is any suite but none: the test cases in a suite have entries of their own.
    add_test("${base}#${first}-${last}" "${TROUPE_TESTS_BINARY}" "--source-file=${file_filter}"
             "--test-suite-exclude=?*" "--first=${first}" "--last=${last}")
    set_tests_properties("${base}#${first}-${last}" PROPERTIES ${properties})
  endforeach()
endforeach()
