import Foundation

exit(await BenchCommand.main(CommandLine.arguments))
