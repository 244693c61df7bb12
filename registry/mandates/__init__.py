"""Council mandates: who sits on which municipal council, and so may hold the seats that ask for one."""
