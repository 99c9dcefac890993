from eclair.cli import main

main()
