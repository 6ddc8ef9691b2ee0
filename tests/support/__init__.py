"""What the tests, the bench (`make bench`) and the local portal share: the environment a deployed
function gets and moto in place of AWS (environment), requests into the real handlers as API
Gateway and Lambda send them (api), AWS calls counted (aws_calls), a clock that moves when told
(clock), and the sample contractor (samples). Test modules import from here, never from a
conftest or another test module."""
