from onesource.cli import main

main()
