// The graph as the releases of December 2026 write it (issues #2 to #15): nothing to
// change. A graph set up before migrations were recorded is at version 0; this step gives
// it version 1. Later steps change what the graph holds, one numbered file each.
