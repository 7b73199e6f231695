"""What a userspace program sees of the syscalls: argument shapes, a tree's ABI
snapshot, and the breaks between two snapshots."""
