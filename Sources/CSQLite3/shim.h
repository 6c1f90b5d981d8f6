/* CSQLite3: the system SQLite 3 library, used by WritAudit's audit store.
   Note: SQLITE_TRANSIENT is a macro Swift cannot import; WritAudit spells it
   as unsafeBitCast(-1, to: sqlite3_destructor_type.self). */
#include <sqlite3.h>
