# Cross-compile for win32-x64 with Debian's mingw-w64 (apt-get install mingw-w64).
# The -posix compilers use the POSIX thread model: the default win32 model has
# no std::mutex / std::thread, which node-addon-api and our worker threads need.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(WMI_PUT_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${WMI_PUT_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${WMI_PUT_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${WMI_PUT_MINGW_TRIPLE}-windres)
find_program(CMAKE_DLLTOOL ${WMI_PUT_MINGW_TRIPLE}-dlltool)

set(CMAKE_FIND_ROOT_PATH /usr/${WMI_PUT_MINGW_TRIPLE})
# Programs (node, dlltool) come from the host; headers and libraries from the target root.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
