/// The shared test programs (module WritTestSupport), under the names these tests use.

import WritTestSupport

typealias TestPrograms = WritTestSupport.TestPrograms
typealias TestFailure = WritTestSupport.TestFailure
