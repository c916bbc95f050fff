/**
 * The user and group modules' `getent passwd NAME` and `getent group NAME` probes answered from
 * /etc/passwd and /etc/group by the shell's own reads (facts/nss-files.ts) where the C library
 * certainly gives the same answer, and by getent itself in the same script where not (a user
 * that is missing, a database another source answers first). Each member's command prints
 * exactly what its own getent would, so its result is the member's result. Two processes fewer
 * per host for a user and its group on a no-change run.
 */
import type { ProbeGroup } from "../types.js";
import { quote } from "../../transport/quote.js";
import { GETENT_FUNCTION, NSS_FUNCTIONS, USER_FUNCTION, nssFilesFirst } from "../../facts/nss-files.js";

type Database = "passwd" | "group";

/** A name getent looks up by name (a number would be looked up as a uid or gid). */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;

/** The status variable of __rb_nss for each database. */
const FILES_FIRST: Readonly<Record<Database, string>> = { passwd: "__rb_nss_passwd", group: "__rb_nss_group" };

export const getentGroup: ProbeGroup = {
  name: "getent",
  member: (argv) =>
    argv.length === 3 && argv[0] === "getent" && (argv[1] === "passwd" || argv[1] === "group") && NAME.test(argv[2] as string) ? [argv[1], argv[2] as string] : undefined,
  commands: (members) => {
    const databases = [...new Set(members.map(([database]) => database as Database))];
    return [
      [NSS_FUNCTIONS, USER_FUNCTION, GETENT_FUNCTION, ...databases.map((database) => `${nssFilesFirst(database)}; ${FILES_FIRST[database]}=$?`)].join("\n"),
      ...members.map(([database, name]) => {
        const [db, key] = [database as Database, quote(name as string)];
        return `__rb_getent ${db} ${key} "$${FILES_FIRST[db]}" 2>/dev/null || getent ${db} ${key}`;
      }),
    ];
  },
  // every member's command is the answer itself; the first command only defines the functions
  results: (members, outputs) => members.map((_, index) => outputs[index + 1]),
};
