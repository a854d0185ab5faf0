from khoosheh.cli import main

main()
