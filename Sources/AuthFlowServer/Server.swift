import AuthFlowCore
import Hummingbird
import JWTKit
public enum ServerPlaceholder {}
