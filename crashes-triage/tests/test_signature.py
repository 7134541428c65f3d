"""The signature parser on recorded reports (fixtures/): what it keeps, what it drops.

fixtures/asan-*, lsan-*, ubsan-* come from a small program built with clang-19
-fsanitize=address,undefined (paths rewritten); fixtures/oracle-* from the planted-bug
replay build of the triage self-test.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))

from signature import parse, template  # noqa: E402


def fixture(name):
    with open(os.path.join(HERE, "fixtures", name)) as f:
        return f.read()


class Templates(unittest.TestCase):
    def test_numbers_addresses_and_secrets_go(self):
        a = template("hart 0 (hypervisor) x1 holds CVM 0's secret c5ec01005ec00001")
        b = template("hart 1 (hypervisor) x12 holds CVM 3's secret c5ec03005ec00007")
        self.assertEqual(a, b)
        self.assertEqual(a, "hart # (hypervisor) x# holds CVM #'s secret #")

    def test_words_that_name_a_different_bug_stay(self):
        self.assertNotEqual(template("hart 0 (CVM) x1 holds CVM 1's secret 1"),
                            template("hart 0 (hypervisor) x1 holds CVM 1's secret 1"))
        self.assertNotEqual(template("hart 0 f3 holds CVM 1's secret"),
                            template("hart 0 x3 holds CVM 1's secret"))

    def test_invariant_name_is_kept_whole(self):
        self.assertEqual(template("I.MT.3: free page 0000000080f05000 is not zero"),
                         "I.MT.3: free page # is not zero")
        self.assertNotEqual(template("I.FSM.2: hart 0 runs CVM 1 inconsistently"),
                            template("I.FSM.3: hart 0 runs CVM 1 inconsistently"))


class Reports(unittest.TestCase):
    def test_oracle(self):
        v = parse(fixture("oracle-invariants.log"), rc=-6)
        self.assertEqual(v.kind, "oracle")
        self.assertEqual(v.oracle, "invariants")
        self.assertEqual(v.step, 2)
        self.assertEqual(v.signature, "oracle invariants: I.MT.3: free page # is not zero")
        self.assertTrue(v.line.startswith("==ORACLE== invariants at step 2: I.MT.3"))

    def test_two_oracles_two_signatures(self):
        a = parse(fixture("oracle-invariants.log"))
        b = parse(fixture("oracle-register-leak.log"))
        self.assertEqual(b.signature,
                         "oracle register-leak: hart # (hypervisor) x# holds CVM #'s secret #")
        self.assertNotEqual(a.bucket_id, b.bucket_id)

    def test_asan_kind_access_and_project_frames(self):
        v = parse(fixture("asan-heap-overflow.log"), rc=1)
        self.assertEqual(v.kind, "asan")
        # libc frames and the allocation stack are not the crash site
        self.assertEqual(v.frames, ["over"])
        self.assertEqual(v.signature, "asan heap-buffer-overflow READ in over")

    def test_segv(self):
        v = parse(fixture("asan-segv.log"), rc=1)
        self.assertEqual(v.signature, "asan SEGV READ in main")

    def test_ubsan(self):
        v = parse(fixture("ubsan-overflow.log"), rc=1)
        self.assertEqual(v.signature, "ubsan signed integer overflow: # + # cannot be represented "
                                      "in type 'int' in add")

    def test_leak_uses_the_allocating_frames(self):
        v = parse(fixture("lsan-leak.log"), rc=23)
        self.assertEqual(v.signature, "leak in main")

    def test_model_fatal_and_hang_and_clean(self):
        v = parse("x.bin hardware model: monitor accessed non-RAM physical range [0x0, +0x30)\n")
        self.assertEqual(v.signature, "model monitor accessed non-RAM physical range [#, +#)")
        self.assertTrue(v.line.startswith("hardware model:"))
        self.assertEqual(parse("", timed_out=True).signature, "hang")
        self.assertFalse(parse("x.bin ok (3 bytes, 0.1 ms)\nreplay: 1 inputs ok\n").found)

    def test_bucket_id_is_stable(self):
        # the id is a function of the signature alone: reports and regressions name it
        self.assertEqual(parse(fixture("oracle-invariants.log")).bucket_id, "5d711ceb28")


if __name__ == "__main__":
    unittest.main()
