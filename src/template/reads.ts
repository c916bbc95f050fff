/**
 * Counts what renderings read besides the variables they were given: the controller's files and
 * commands (lookups, `{% include %}`) and other hosts' variables (hostvars[name]). A caller that
 * keeps a rendered value for later (executor/prepared-ahead.ts) compares the counts before and
 * after its rendering: a value that read the controller may differ when rendered again, one that
 * read hostvars holds only until any host's variables change.
 */
export const renderReads = { controller: 0, hostvars: 0 };
