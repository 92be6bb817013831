# Included by CTest after doctest's discovered tests (CMakeLists.txt adds it to the folder's
# TEST_INCLUDE_FILES, with TROUPE_TESTS_BINARY set): gives each CTest entry the name of its
# doctest test suite as a label, so that `ctest -L SUITE` and `ctest -LE SUITE` select by it.
# A test case joins a suite in its own file: TEST_CASE("..." * doctest::test_suite("SUITE")).
#
# One listing per suite when CTest starts, where doctest's own ADD_LABELS would run the test
# binary once per test case at every build. `--list-test-suites` and `--list-test-cases` print
# names one a line between doctest's "[doctest] ..." and "=====" lines.
if(NOT EXISTS "${TROUPE_TESTS_BINARY}")
  return()
endif()

function(troupe_doctest_list out_var)
  execute_process(COMMAND "${TROUPE_TESTS_BINARY}" ${ARGN}
                  OUTPUT_VARIABLE output RESULT_VARIABLE status ERROR_QUIET)
  if(NOT status EQUAL 0)
    message(WARNING "tests/ctest_labels.cmake: ${TROUPE_TESTS_BINARY} ${ARGN} failed: no labels")
    set(${out_var} "" PARENT_SCOPE)
    return()
  endif()
  string(REPLACE "\n" ";" lines "${output}")
  set(names "")
  foreach(line IN LISTS lines)
    if(line STREQUAL "" OR line MATCHES "^\\[doctest\\]" OR line MATCHES "^=+$")
      continue()
    endif()
    list(APPEND names "${line}")
  endforeach()
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

# The suite release-only holds the longest tests (renders repeated, outside checkers): a COST
# makes CTest start them first, where in file order one of them could run alone at the end
# while the other cores idle. (CTest orders by the times it records in Testing/ once it has
# run a test; a fresh build, as in CI, has none.)
troupe_doctest_list(suites --list-test-suites)
foreach(suite IN LISTS suites)
  troupe_doctest_list(cases --list-test-cases "--test-suite=${suite}")
  set(properties LABELS "${suite}")
  if(suite STREQUAL "release-only")
    list(APPEND properties COST 1000)
  endif()
  foreach(name IN LISTS cases)
    set_tests_properties("${name}" PROPERTIES ${properties})
  endforeach()
endforeach()
