/* Probe actions run inside compartments by test_compart. */
#ifndef IX_TEST_PROBE_H
#define IX_TEST_PROBE_H
/* argv[0] is the action. Returns 0 on success, else the refusing errno. */
int probe_main(int argc, char **argv);
#endif
