import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { loadInventories } from "../../src/inventory/load.js";
import { writeTree } from "./inventory-files.js";

interface ErrorCase {
  name: string;
  files: Record<string, string>;
  /** The -i path; default the first file. */
  path?: string;
  /** The file the error points at; default the -i path. */
  at?: string;
  message: RegExp;
  line: number;
  column: number;
  hint: RegExp;
}

const CASES: ErrorCase[] = [
  // YAML
  { name: "malformed YAML", files: { "inv.yml": "all:\n  hosts:\n    h1: {\n" }, message: /invalid YAML/, line: 4, column: 1, hint: /./ },
  { name: "a YAML list at the top", files: { "inv.yml": "- h1\n- h2\n" }, message: /must be a mapping of group names, found a list/, line: 1, column: 1, hint: /all:/ },
  { name: "hosts: as a list", files: { "inv.yml": "all:\n  hosts:\n    - h1\n" }, message: /'hosts' of group 'all' must be a mapping, found a list/, line: 3, column: 5, hint: /'- name' is not allowed/ },
  { name: "a group that is a list", files: { "inv.yml": "all:\n  children:\n    web:\n      - h1\n" }, message: /group 'web' must be a mapping, found a list/, line: 4, column: 7, hint: /web: \{ hosts:/ },
  { name: "host vars that are not a mapping", files: { "inv.yml": "all:\n  hosts:\n    h1: 22\n" }, message: /variables of host 'h1' must be a mapping, found a number/, line: 3, column: 9, hint: /'h1:' alone/ },
  { name: "a misspelt group key", files: { "inv.yml": "all:\n  childen:\n    web:\n" }, message: /unknown key 'childen' in group 'all'/, line: 2, column: 3, hint: /did you mean 'children'\?/ },
  { name: "a group loop in YAML", files: { "inv.yml": "all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n" }, message: /group 'b' cannot be a child of 'a': that makes a loop/, line: 5, column: 9, hint: /'b' already contains 'a'/ },
  { name: "a bad range in YAML", files: { "inv.yml": "all:\n  hosts:\n    web[1:]:\n" }, message: /host range '\[1:\]' in 'web\[1:\]' has no end value/, line: 3, column: 5, hint: /\[start:end\]/ },
  { name: "a port that is not a number", files: { "inv.yml": "all:\n  hosts:\n    h1:\n      ansible_port: ssh\n" }, message: /ansible_port must be a port number, got string "ssh"/, line: 4, column: 21, hint: /1 to 65535/ },
  { name: "ansible_become that is not a boolean", files: { "inv.yml": "all:\n  vars:\n    ansible_become: maybe\n" }, message: /ansible_become must be a boolean/, line: 3, column: 21, hint: /true or false/ },
  { name: "an unknown host key policy", files: { "inv.yml": "all:\n  hosts:\n    h1: { runbook_host_key_checking: loose }\n" }, message: /runbook_host_key_checking must be one of strict, accept-new, off; got string "loose"/, line: 3, column: 38, hint: /strict or accept-new or off/ },
  { name: "a non-integer group priority", files: { "inv.yml": "all:\n  children:\n    web:\n      vars:\n        ansible_group_priority: high\n" }, message: /ansible_group_priority must be an integer/, line: 5, column: 33, hint: /default 1/ },
  { name: "an inventory plugin configuration", files: { "aws.yml": "plugin: amazon.aws.aws_ec2\n" }, message: /inventory plugin configurations are not supported/, line: 1, column: 1, hint: /static YAML or INI/ },
  // INI
  { name: "a section header with a space", files: { "inv.ini": "[web]\nh1\n  [web servers]\n" }, message: /invalid section header '\[web servers\]'/, line: 3, column: 3, hint: /without spaces/ },
  { name: "an unknown section type", files: { "inv.ini": "[web:chidren]\n" }, message: /section \[web:chidren\] has unknown type 'chidren'/, line: 1, column: 6, hint: /did you mean 'children'\?/ },
  { name: "a host variable without '='", files: { "inv.ini": "[web]\nh1 ansible_port=22 oops\n" }, message: /expected key=value after the host name, got 'oops'/, line: 2, column: 20, hint: /key='a b'/ },
  { name: "an unclosed quote", files: { "inv.ini": "[web]\nh1 motd='hello\n" }, message: /invalid host line: no closing quotation mark/, line: 2, column: 9, hint: /close the quote/ },
  { name: "a :vars line without '='", files: { "inv.ini": "[web]\nh1\n[web:vars]\n  just_a_name\n" }, message: /expected key=value in \[web:vars\], got 'just_a_name'/, line: 4, column: 3, hint: /name=value/ },
  { name: "a group that is its own child", files: { "inv.ini": "[a]\nh1\n[a:children]\na\n" }, message: /group 'a' cannot be a child of 'a': that makes a loop/, line: 4, column: 1, hint: /cannot contain itself/ },
  { name: "a longer group loop in INI", files: { "inv.ini": "[a:children]\nb\n[b:children]\na\n" }, message: /group 'a' cannot be a child of 'b': that makes a loop/, line: 4, column: 1, hint: /'a' already contains 'b'/ },
  { name: "a :children entry naming an undefined group", files: { "inv.ini": "[web]\nh1\n[site:children]\nweb\nwebz\n" }, message: /section \[site:children\] names group 'webz', which is not defined/, line: 5, column: 1, hint: /did you mean 'web'\?/ },
  { name: "a :vars section for an undefined group", files: { "inv.ini": "[web]\nh1\n[db:vars]\nx=1\n" }, message: /section \[db:vars\] is for group 'db', which is not defined/, line: 3, column: 1, hint: /\[db\] section/ },
  { name: "a :children entry that is not a group name", files: { "inv.ini": "[site:children]\nweb db\n" }, message: /expected a group name in \[site:children\], got 'web db'/, line: 2, column: 1, hint: /one group name per line/ },
  { name: "a range whose end is before its start", files: { "inv.ini": "[web]\nweb[3:1]\n" }, message: /is empty: begin is after end/, line: 2, column: 1, hint: /\[start:end\]/ },
  { name: "a zero-padded range of unequal widths", files: { "inv.ini": "[web]\nweb[01:100]\n" }, message: /equal-length begin and end/, line: 2, column: 1, hint: /web\[01:10\]/ },
  { name: "a range without ':'", files: { "inv.ini": "[web]\n  web[1-3]\n" }, message: /must be begin:end or begin:end:step/, line: 2, column: 3, hint: /\[start:end\]/ },
  { name: "a port out of range", files: { "inv.ini": "h1:70000\n" }, message: /invalid port in host 'h1:70000'/, line: 1, column: 1, hint: /1 to 65535/ },
  { name: "a host ending in ':'", files: { "inv.ini": "[web]\nh1:\n" }, message: /invalid host 'h1:': the part after ':' must be a port number/, line: 2, column: 1, hint: /web1:2222/ },
  { name: "a YAML document in an .ini file", files: { "inv.ini": "---\n" }, message: /'---' is not a host name/, line: 1, column: 1, hint: /\.yaml or \.yml/ },
  { name: "a port that is not a number in INI", files: { "inv.ini": "[web]\nh1 ansible_port=ssh\n" }, message: /ansible_port must be a port number/, line: 2, column: 4, hint: /1 to 65535/ },
  // vars files and paths
  { name: "a group_vars file that is a list", files: { "inv.ini": "[web]\nh1\n", "group_vars/web.yml": "# list\n- a\n" }, at: "group_vars/web.yml", message: /a vars file must be a mapping of variable names, found a list/, line: 2, column: 1, hint: /name: value/ },
  { name: "a bad value in a host_vars directory file", files: { "inv.ini": "h1\n", "host_vars/h1/conn.yml": "ansible_port: 0\n" }, at: "host_vars/h1/conn.yml", message: /ansible_port must be a port number, got number 0/, line: 1, column: 15, hint: /1 to 65535/ },
  { name: "malformed YAML in group_vars", files: { "inv.ini": "h1\n", "group_vars/all.yml": "a: 1\na: 2\n" }, at: "group_vars/all.yml", message: /invalid YAML/, line: 2, column: 1, hint: /each key may appear once/ },
  { name: "a missing inventory path", files: { "other.ini": "" }, path: "missing.ini", message: /cannot read inventory .*missing\.ini: ENOENT/, line: 1, column: 1, hint: /check the -i path/ },
];

describe("inventory errors", () => {
  it.each(CASES)("$name", (testCase) => {
    const root = writeTree(testCase.files);
    const path = join(root, testCase.path ?? Object.keys(testCase.files)[0] ?? "");
    const error = catchError(() => loadInventories([path]));
    expect(error).toBeInstanceOf(ParseError);
    const parseError = error as ParseError;
    expect(parseError.message).toMatch(testCase.message);
    expect(parseError.location).toEqual({ file: testCase.at ? join(root, testCase.at) : path, line: testCase.line, column: testCase.column });
    expect(parseError.hint).toMatch(testCase.hint);
  });

  it("reports a file that cannot be read, at line 1", () => {
    const root = writeTree({});
    symlinkSync("loop.ini", join(root, "loop.ini")); // a symlink to itself: ELOOP even for root
    const error = catchError(() => loadInventories([join(root, "loop.ini")])) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toMatch(/cannot read inventory .*loop\.ini: ELOOP/);
    expect(error.location).toEqual({ file: join(root, "loop.ini"), line: 1, column: 1 });
    expect(error.hint).toMatch(/permissions/);
  });

  it("loads hosts with connections runbook cannot use (they fail only when targeted)", () => {
    const root = writeTree({ "inv.ini": "[windows]\nw1 ansible_connection=winrm ansible_become_method=runas\n" });
    expect(loadInventories([join(root, "inv.ini")]).hostVars("w1")).toEqual({ ansible_connection: "winrm", ansible_become_method: "runas" });
  });

  // Ansible silently keeps the last value; issue 6 makes it a located error (one file only).
  it.each([
    ["INI", "inv.ini", "[web]\nh1 v=1\nh1 v=2\n", 3],
    ["YAML", "inv.yml", "all:\n  children:\n    a:\n      hosts:\n        h1: { v: first }\n    b:\n      hosts:\n        h1: { v: second }\n", 8],
  ])("refuses the same host twice in one %s file with conflicting values", (_format, name, text, line) => {
    const root = writeTree({ [name]: text });
    const error = catchError(() => loadInventories([join(root, name)]));
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/host 'h1' is defined twice with different values for 'v'/);
    expect((error as ParseError).location).toMatchObject({ file: join(root, name), line });
    expect((error as ParseError).hint).toMatch(/first set at/);
  });

  it("accepts the same host twice with the same values, and a later -i source overriding an earlier one", () => {
    const root = writeTree({ "a.ini": "[web]\nh1 v=1\n[db]\nh1 v=1\n", "b.ini": "h1 v=2\n" });
    expect(loadInventories([join(root, "a.ini"), join(root, "b.ini")]).hostVars("h1")).toEqual({ v: 2 });
  });

  it("checks connection variables only once they are no longer templates", () => {
    const root = writeTree({ "inv.yml": "all:\n  vars:\n    ansible_port: '{{ base_port + 1 }}'\n  hosts:\n    h1:\n" });
    expect(loadInventories([join(root, "inv.yml")]).hostVars("h1")["ansible_port"]).toBe("{{ base_port + 1 }}");
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
