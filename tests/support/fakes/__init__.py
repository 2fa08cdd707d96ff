"""Loopback fakes of the chat platforms' APIs (`discord`, `telegram`): the real client libraries
run against them on 127.0.0.1, and the fakes enforce the platforms' documented rules."""
