import Foundation
import StepFunctionsCLI

exit(await SFNCommand.main(arguments: CommandLine.arguments))
