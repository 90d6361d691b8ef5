import Foundation
import StepFunctionsCLI

exit(SFNCommand.main(arguments: CommandLine.arguments))
